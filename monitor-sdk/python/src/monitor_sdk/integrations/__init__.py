"""Optional integrations. Each module imports its library only when used, so all of them import cleanly
whether or not transformers, torch, tensorboard or opentelemetry are installed."""
