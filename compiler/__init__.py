"""From a program or a machine to a looped 23-layer ReLU MLP: front ends, lowering, passes,
export."""
