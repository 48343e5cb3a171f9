"""Message templates for the synthetic build-log generator (see builds/generator.py).

vocab.py holds word lists and value makers, steps.py the ordinary steps of a Workers Builds /
Pages log, failures.py one writer per failure category of the taxonomy. The templates are
written from the tools' message formats with every variable part (packages, versions, paths,
line numbers, names) drawn at random, so no two failing logs need look alike.
"""
