//! Placeholder: the proto-syntax rendering of descriptors, filled in by the describe work.
