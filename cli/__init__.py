"""The `helpdesk` command line: `cli.main` names the commands, one module per group implements them."""
