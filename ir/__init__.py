"""The machine, the state layout and the gadget IR shared by the compiler and the runtime."""
