"""The command line, a face of the service like the API and the pages: `flask --app app <command>
--help` for each. `admin.py` holds the administrator's tools (accounts, keys, backups, checks),
`render.py` fills a form from a JSON file."""

from commands import admin, render

COMMANDS = [*admin.COMMANDS, render.render_command]
