"""Text: rendering records to the text that is encoded and searched (``render``, the only jieba
importer), the encoders behind one interface (``encoders``, the only sentence-transformers
importer) and the training of the shipped encoder (``training``)."""
