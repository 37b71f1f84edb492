/**
 * `@multidb/autogenerate`: compares a bind's declared models with its live database and renders
 * a reviewed, reversible revision (DESIGN §3). The comparison is pure: models and an introspected
 * snapshot in, op objects out.
 */
export {};
