import DubanCLI

Duban.main()
