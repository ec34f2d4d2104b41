"""`loopmlp view`: a live page that steps a program on the network, and `trace --html` replays."""
