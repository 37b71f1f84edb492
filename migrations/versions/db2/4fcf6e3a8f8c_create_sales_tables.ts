import type { Operations } from '@multidb/core';

export const revision = '4fcf6e3a8f8c';
export const downRevision = null;
export const branchLabels = ['db2'];
export const dependsOn = [];
export const message = 'create sales tables';
export const createDate = '2026-11-23T21:43:00Z';

// The sales half of Chinook. Constraint and index names come from the naming convention in
// migrate.config.ts (fk_Invoice_CustomerId_Customer, ix_Invoice_CustomerId).

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    'Employee',
    [
      { name: 'EmployeeId', type: 'integer', primaryKey: true },
      { name: 'LastName', type: 'nvarchar(20)', nullable: false },
      { name: 'FirstName', type: 'nvarchar(20)', nullable: false },
      { name: 'Title', type: 'nvarchar(30)' },
      { name: 'ReportsTo', type: 'integer' },
      { name: 'BirthDate', type: 'datetime' },
      { name: 'HireDate', type: 'datetime' },
      { name: 'Address', type: 'nvarchar(70)' },
      { name: 'City', type: 'nvarchar(40)' },
      { name: 'State', type: 'nvarchar(40)' },
      { name: 'Country', type: 'nvarchar(40)' },
      { name: 'PostalCode', type: 'nvarchar(10)' },
      { name: 'Phone', type: 'nvarchar(24)' },
      { name: 'Fax', type: 'nvarchar(24)' },
      { name: 'Email', type: 'nvarchar(60)' },
    ],
    // A manager is an employee: a self reference.
    { foreignKeys: [{ columns: ['ReportsTo'], referredTable: 'Employee', referredColumns: ['EmployeeId'] }] },
  );
  await op.createIndex(null, 'Employee', ['ReportsTo']);

  await op.createTable(
    'Customer',
    [
      { name: 'CustomerId', type: 'integer', primaryKey: true },
      { name: 'FirstName', type: 'nvarchar(40)', nullable: false },
      { name: 'LastName', type: 'nvarchar(20)', nullable: false },
      { name: 'Company', type: 'nvarchar(80)' },
      { name: 'Address', type: 'nvarchar(70)' },
      { name: 'City', type: 'nvarchar(40)' },
      { name: 'State', type: 'nvarchar(40)' },
      { name: 'Country', type: 'nvarchar(40)' },
      { name: 'PostalCode', type: 'nvarchar(10)' },
      { name: 'Phone', type: 'nvarchar(24)' },
      { name: 'Fax', type: 'nvarchar(24)' },
      { name: 'Email', type: 'nvarchar(60)', nullable: false },
      { name: 'SupportRepId', type: 'integer' },
    ],
    { foreignKeys: [{ columns: ['SupportRepId'], referredTable: 'Employee', referredColumns: ['EmployeeId'] }] },
  );
  await op.createIndex(null, 'Customer', ['SupportRepId']);

  await op.createTable(
    'Invoice',
    [
      { name: 'InvoiceId', type: 'integer', primaryKey: true },
      { name: 'CustomerId', type: 'integer', nullable: false },
      { name: 'InvoiceDate', type: 'datetime', nullable: false },
      { name: 'BillingAddress', type: 'nvarchar(70)' },
      { name: 'BillingCity', type: 'nvarchar(40)' },
      { name: 'BillingState', type: 'nvarchar(40)' },
      { name: 'BillingCountry', type: 'nvarchar(40)' },
      { name: 'BillingPostalCode', type: 'nvarchar(10)' },
      { name: 'Total', type: 'numeric(10,2)', nullable: false },
    ],
    { foreignKeys: [{ columns: ['CustomerId'], referredTable: 'Customer', referredColumns: ['CustomerId'] }] },
  );
  await op.createIndex(null, 'Invoice', ['CustomerId']);

  await op.createTable(
    'InvoiceLine',
    [
      { name: 'InvoiceLineId', type: 'integer', primaryKey: true },
      { name: 'InvoiceId', type: 'integer', nullable: false },
      // Track lives in the other bind (default): a database cannot hold a foreign key into
      // another database, so TrackId is a plain integer here. Keeping it consistent with
      // default's Track table is the application's job.
      { name: 'TrackId', type: 'integer', nullable: false },
      { name: 'UnitPrice', type: 'numeric(10,2)', nullable: false },
      { name: 'Quantity', type: 'integer', nullable: false },
    ],
    { foreignKeys: [{ columns: ['InvoiceId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'] }] },
  );
  await op.createIndex(null, 'InvoiceLine', ['InvoiceId']);
  await op.createIndex(null, 'InvoiceLine', ['TrackId']);
}

export async function downgrade(op: Operations): Promise<void> {
  // Children first; a table's indexes go with it.
  await op.dropTable('InvoiceLine');
  await op.dropTable('Invoice');
  await op.dropTable('Customer');
  await op.dropTable('Employee');
}
