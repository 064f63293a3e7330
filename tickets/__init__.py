"""The ticket domain: models, storage, configuration and the operations that change tickets."""
