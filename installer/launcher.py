"""Entry script of the bundled `pacs-desktop` executable."""

import multiprocessing
import sys

from pacs_desktop.__main__ import main

if __name__ == "__main__":
    # A frozen program that starts worker processes must let them run their
    # task instead of the whole program again.
    multiprocessing.freeze_support()
    sys.exit(main())
