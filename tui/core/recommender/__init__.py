"""The learning recommender: a character CRF trained from a layer of the store (issue 15).

The app and the batch commands call:

* :func:`load_model` (a :class:`Model`, or :class:`ModelError`): ``Model.card``,
  ``Model.tag(paragraph)`` and ``Model.doubt(paragraphs)``;
* :func:`train_model` (or :class:`TrainingError`), :func:`evaluate_model`,
  :func:`suggest_into_layer`; the app trains with :func:`train_in_subprocess`, since
  crfsuite holds the GIL while it trains.

No Textual here; python-crfsuite is wrapped in :mod:`tui.core.recommender.crf`. This
package's own module imports nothing: import from its modules (``model``, ``train``,
``evaluate``, ``suggest``, ``background``; ``paths`` without crfsuite or jieba), so asking
whether a store has a model costs the app nothing at start.
"""
