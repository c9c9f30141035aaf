import multiprocessing

# First: in the frozen app, a PDF-reading child process (pcc_desk.importers.pdf_sandbox) starts here.
multiprocessing.freeze_support()

from pcc_desk.cli import main  # noqa: E402

raise SystemExit(main())
