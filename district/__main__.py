import sys

from district.cli import main

sys.exit(main())
