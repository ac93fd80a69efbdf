from zlint.cli import main

raise SystemExit(main())
