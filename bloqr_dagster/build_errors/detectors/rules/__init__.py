"""One module per tool family; each exports DETECTOR (a Detector with its rules)."""
