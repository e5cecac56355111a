"""``python -m corpus_tools run ...``: see corpus_tools.run."""
import sys

from .run import main

if __name__ == "__main__":
    sys.exit(main())
