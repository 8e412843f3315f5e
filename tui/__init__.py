"""biaozhu (标注): a terminal reader and keyboard-driven span annotator for Chinese text."""

__version__ = "0.1.0"
