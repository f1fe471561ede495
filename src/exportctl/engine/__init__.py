"""Pure engines over tables: determinations (EAR, China), screening, tariffs. No clock, no I/O."""
