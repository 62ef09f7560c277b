import HelpdeskCLI

HelpdeskCommand.run()
