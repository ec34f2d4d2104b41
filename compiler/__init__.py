"""From a program or a machine to a looped 23-layer ReLU MLP: front end, lowering, passes, export."""
