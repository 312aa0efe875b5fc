"""``python -m gxaudit``: the GUI without arguments, the CLI with them."""
import sys

from .cli import main

sys.exit(main())
