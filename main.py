"""Open the Mediator workstation (see README)."""
import sys

from mediator_app.app import main

if __name__ == "__main__":
    sys.exit(main())
