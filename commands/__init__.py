"""The command line, a face of the service like the API and the pages: `flask --app app <command>
--help` for each. `admin.py` holds the administrator's tools (accounts, keys, backups, checks),
`render.py` fills a form from a JSON file, `templates.py` installs the forms' Word templates."""

from commands import admin, render, templates

COMMANDS = [*admin.COMMANDS, render.render_command, templates.group]
