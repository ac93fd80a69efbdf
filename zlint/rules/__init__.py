"""The rules: one module per rule (``zlNNN_<name>.py``), the interface every rule receives
(:mod:`zlint.rules.base`) and the one list of them (:mod:`zlint.rules.registry`)."""
