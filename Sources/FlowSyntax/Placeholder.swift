// Placeholder until this target is written.
enum FlowSyntaxPlaceholder {}
