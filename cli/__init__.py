"""cli: the `cpo` command. Thin: parse, call the library, render."""
