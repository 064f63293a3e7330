"""The Jinja2 templates, shipped inside the installed package: `web/` pages, `mail/` acknowledgements
and canned replies. `FOLDER` is where they are, in a checkout and in an installed wheel alike."""
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
