"""The only package that knows the Bot Framework's HTTP side: app, adapter, handler, CLI."""
