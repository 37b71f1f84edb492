/**
 * `@multidb/dialect/kysely`: the whole of Kysely's public API, from the one copy of kysely the
 * dialects run on. The package's build bundles kysely into a few files (tools/build/
 * bundle-package.mjs `--inline kysely`): Node then loads 2 files at start-up instead of kysely's
 * 262 ES modules, which cost a connecting command ~120 ms of CPU.
 *
 * The CLI, the TUI and `loadEnvironment` alias `kysely` in configs and revisions to this module
 * when the project has no kysely installed or this version (`kyselyModuleAlias`), so that what a
 * revision imports is what the dialect made `op.db` with: `op.db instanceof Kysely` holds, and
 * `sql`, `CompiledQuery`, the builders and plugins are this copy's. A Kysely object, plugin,
 * dialect or `sql` fragment from another copy of kysely (an application's own `kysely` handed to
 * the programmatic API) works too: Kysely recognises its objects by shape (operation nodes by
 * `kind`, expressions by `toOperationNode`), never by class; only `instanceof` across the two
 * copies is false (test/cli/kysely-copy.test.ts, packages/dialect/test/kysely-copies.test.ts).
 *
 * Types are the installed `kysely`'s (a peer dependency, `^0.28.18`), and may be of a newer kysely
 * than the bundled one. So its types are re-exported as types only (`export type *`, TypeScript
 * 5.0+), and its values by name, exactly those the bundled copy has (`BUNDLED_KYSELY_VERSION` of
 * `@multidb/dialect`): a value that only a newer kysely has (`AbortedTransactionError` of kysely
 * 0.28.20) is then a compile error, "cannot be used as a value because it was exported using
 * 'export type'", not a SyntaxError when the module loads. Import it from your own `kysely`
 * instead. The list is checked against the repository's kysely (kysely-exports.test.ts):
 * upgrading the bundled kysely means updating it.
 *
 * @example
 * ```ts
 * import { sqliteDialect } from '@multidb/dialect';
 * import { sql } from '@multidb/dialect/kysely';
 * const compiled = sql<number>`select ${1} as one`.compile(sqliteDialect.queryBuilder());
 * console.log(compiled.sql); // 'select ? as one'
 * ```
 */
export type * from 'kysely';
export {
  AddColumnNode, AddConstraintNode, AddIndexNode, AggregateFunctionBuilder, AggregateFunctionNode,
  AliasedAggregateFunctionBuilder, AliasedDynamicTableBuilder, AliasedExpressionWrapper,
  AliasedJSONPathBuilder, AliasNode, AlterColumnBuilder, AlterColumnNode, AlteredColumnBuilder,
  AlterTableBuilder, AlterTableColumnAlteringBuilder, AlterTableNode, AndNode, AndWrapper,
  ARITHMETIC_OPERATORS, BINARY_OPERATORS, BinaryOperationNode, CamelCasePlugin, CaseBuilder,
  CaseEndBuilder, CaseNode, CaseThenBuilder, CaseWhenBuilder, CastNode, CheckConstraintNode,
  CollateNode, ColumnDefinitionBuilder, ColumnDefinitionNode, ColumnNode, ColumnUpdateNode, Command,
  CommonTableExpressionNameNode, CommonTableExpressionNode, COMPARISON_OPERATORS, CompiledQuery,
  ConnectionBuilder, ControlledTransaction, ControlledTransactionBuilder, createFunctionModule,
  CreateIndexBuilder, CreateIndexNode, createQueryId, createRawBuilder, CreateSchemaBuilder,
  CreateSchemaNode, createSelectQueryBuilder, CreateTableBuilder, CreateTableNode,
  CreateTypeBuilder, CreateTypeNode, CreateViewBuilder, CreateViewNode, DataTypeNode,
  DeduplicateJoinsPlugin, DEFAULT_ALLOW_UNORDERED_MIGRATIONS, DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE, DefaultConnectionProvider, DefaultInsertValueNode, DefaultQueryCompiler,
  DefaultQueryExecutor, DefaultValueNode, DeleteQueryBuilder, DeleteQueryNode, DeleteResult,
  DialectAdapterBase, DropColumnNode, DropConstraintNode, DropIndexBuilder, DropIndexNode,
  DropSchemaBuilder, DropSchemaNode, DropTableBuilder, DropTableNode, DropTypeBuilder, DropTypeNode,
  DropViewBuilder, DropViewNode, DummyDriver, DynamicModule, DynamicReferenceBuilder,
  DynamicTableBuilder, ExplainNode, expressionBuilder, ExpressionWrapper, FetchNode,
  FileMigrationProvider, ForeignKeyConstraintBuilder, ForeignKeyConstraintNode, FromNode,
  FunctionNode, GeneratedNode, GroupByItemNode, GroupByNode, HandleEmptyInListsPlugin, HavingNode,
  IdentifierNode, InsertQueryBuilder, InsertQueryNode, InsertResult, isAliasedDynamicTableBuilder,
  isAliasedExpression, isArithmeticOperator, isBinaryOperator, isColumnDataType,
  isComparisonOperator, isCompilable, isDynamicReferenceBuilder, isExpression, isJSONOperator,
  isKyselyProps, isNoResultErrorConstructor, isOperationNodeSource, isOperator, JoinBuilder,
  JoinNode, JSON_OPERATORS, JSONOperatorChainNode, JSONPathBuilder, JSONPathLegNode, JSONPathNode,
  JSONReferenceNode, Kysely, LimitNode, ListNode, Log, LOG_LEVELS, logOnce, MatchedNode,
  MatchedThenableMergeQueryBuilder, MergeQueryBuilder, MergeQueryNode, MergeResult,
  MIGRATION_LOCK_ID, Migrator, ModifyColumnNode, MssqlAdapter, MssqlDialect, MssqlDriver,
  MssqlIntrospector, MssqlQueryCompiler, MysqlAdapter, MysqlDialect, MysqlDriver, MysqlIntrospector,
  MysqlQueryCompiler, NO_MIGRATIONS, NOOP_QUERY_EXECUTOR, NoopQueryExecutor, NoResultError,
  NotMatchedThenableMergeQueryBuilder, OffsetNode, ON_COMMIT_ACTIONS, ON_MODIFY_FOREIGN_ACTIONS,
  OnConflictBuilder, OnConflictDoNothingBuilder, OnConflictNode, OnConflictUpdateBuilder,
  OnDuplicateKeyNode, OnNode, OperationNodeTransformer, OperationNodeVisitor, OperatorNode,
  OPERATORS, OrActionNode, OrderByItemBuilder, OrderByItemNode, OrderByNode, OrNode, OrWrapper,
  OutputNode, OverNode, ParensNode, ParseJSONResultsPlugin, PartitionByItemNode, PartitionByNode,
  PostgresAdapter, PostgresDialect, PostgresDriver, PostgresIntrospector, PostgresQueryCompiler,
  PrimaryConstraintNode, PrimaryKeyConstraintNode, PrimitiveValueListNode, pushValueIntoList,
  QueryCreator, QueryNode, RawNode, ReferenceNode, ReferencesNode, RefreshMaterializedViewBuilder,
  RefreshMaterializedViewNode, RenameColumnNode, RenameConstraintNode,
  replaceWithNoncontingentExpression, ReturningNode, SchemableIdentifierNode, SchemaModule,
  SelectAllNode, SelectionNode, SelectModifierNode, SelectQueryNode, SetOperationNode,
  SingleConnectionProvider, sql, SqliteAdapter, SqliteDialect, SqliteDriver, SqliteIntrospector,
  SqliteQueryCompiler, TableNode, TopNode, Transaction, TRANSACTION_ACCESS_MODES,
  TRANSACTION_ISOLATION_LEVELS, TransactionBuilder, TraversedJSONPathBuilder, TupleNode,
  UNARY_FILTER_OPERATORS, UNARY_OPERATORS, UnaryOperationNode, UniqueConstraintNode,
  UpdateQueryBuilder, UpdateQueryNode, UpdateResult, UsingNode, validateTransactionSettings,
  ValueListNode, ValueNode, ValuesNode, WheneableMergeQueryBuilder, WhenNode, WhereNode, WithNode,
  WithSchemaPlugin,
} from 'kysely';
