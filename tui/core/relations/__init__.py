"""Relations, coreference chains, document categories and span attributes (issue 14).

``schema`` reads their types from the labels file, ``model`` keeps them in the store file
beside the spans, and ``links`` changes them in an open session, undoably.
"""
