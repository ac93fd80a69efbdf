"""The sections of the pipeline walk (see :mod:`zlint.model.flow`)."""
