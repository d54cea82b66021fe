import DubanCLI

Duban.start()
