"""The one error type for bad user input: a single line that names what is wrong and where."""


class LoopmlpError(Exception):
    """Bad input (a program, a model, an option). `str(err)` is the one line shown to the user."""

    exit_code = 2
