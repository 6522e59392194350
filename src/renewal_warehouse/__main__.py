from renewal_warehouse.cli import main

raise SystemExit(main())
