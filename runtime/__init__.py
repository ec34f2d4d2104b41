"""Running programs: the reference interpreter, the ONNX Runtime loop around the network, CLI."""
