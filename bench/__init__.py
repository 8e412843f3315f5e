"""Benchmarks for the biaozhu reader, run with ``python -m bench`` (``make bench``).

Programs are driven in a pseudo-terminal exactly as a user's terminal would: the
benchmarks time real process start-up, key bytes written to the terminal and frames
written back by Textual, and print one ``name: value unit`` line per figure on stdout.
Progress goes to stderr. Nothing is asserted: the figures are reported, not judged.
"""
