"""Where LibreOffice's layout put a document's bookmarks: a UNO component that runs inside
soffice.bin, loaded by LibreOffice's own Python loader (office/uno_helper.py activates it).

Asked from outside, over the UNO bridge, each bookmark's place costs several round trips (about
3 ms); inside soffice all of a form's cost about 2 ms. That is what lets the pagination rules
(documents/pagination.py) be checked on the layout LibreOffice has made, before any PDF is
written, and the PDF be exported once, from the layout that keeps them.

`execute` takes the named values Document (a loaded text document) and Pattern (a regular
expression) and returns JSON: {bookmark: [page, y]} for each bookmark whose name matches, page
from 1, y the top of its line in 1/100 mm from the top of the first page. Like office/uno_helper.py,
this file imports nothing from the service.
"""

import json
import re

import unohelper
from com.sun.star.task import XJob

IMPLEMENTATION = "phieu.LayoutProbe"


class LayoutProbe(unohelper.Base, XJob):
    def __init__(self, context):
        self.context = context

    def execute(self, arguments):
        values = {argument.Name: argument.Value for argument in arguments}
        document, pattern = values["Document"], re.compile(values["Pattern"])
        bookmarks = document.getBookmarks()
        cursor = document.getCurrentController().getViewCursor()
        places = {}
        for name in bookmarks.getElementNames():
            if pattern.fullmatch(name):
                cursor.gotoRange(bookmarks.getByName(name).getAnchor().getStart(), False)
                places[name] = [cursor.getPage(), cursor.getPosition().Y]
        return json.dumps(places)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(LayoutProbe, IMPLEMENTATION, (IMPLEMENTATION,))
