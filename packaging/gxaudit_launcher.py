"""Entry point of the frozen bundle: the same main() as the `gxaudit` script."""
import sys

from gxaudit.cli import main

if __name__ == "__main__":
    sys.exit(main())
