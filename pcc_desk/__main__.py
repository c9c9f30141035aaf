from pcc_desk.cli import main

raise SystemExit(main())
