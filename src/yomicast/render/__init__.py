"""The render stage. In: a Script, its cast and the audio settings. Out: one mastered, encoded episode and
its timeline. May import: speech, audio, script, settings, fsutil, errors.

``mastering`` (the one gain under the true-peak ceiling, voices level-matched), ``stages`` (speak → master →
encode, in order, each encoded stream held under the target, written atomically).
"""
