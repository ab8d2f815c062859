// Placeholder until this target is written.
enum FlowRuntimePlaceholder {}
