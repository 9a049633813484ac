"""Entry point of the `pacs-desktop` command."""

import sys


def main() -> int:
    """Start the GUI, or run a subcommand when one is given."""
    from pacs_desktop.app import main as app_main

    return app_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
