// Models of the `db2` bind (sales), for autogenerate: what its database should look like at head.
import { defineModels } from '@multidb/core';

/** Address columns shared by Employee and Customer. */
const address = [
  { name: 'Address', type: 'nvarchar(70)' },
  { name: 'City', type: 'nvarchar(40)' },
  { name: 'State', type: 'nvarchar(40)' },
  { name: 'Country', type: 'nvarchar(40)' },
  { name: 'PostalCode', type: 'nvarchar(10)' },
  { name: 'Phone', type: 'nvarchar(24)' },
  { name: 'Fax', type: 'nvarchar(24)' },
] as const;

export default defineModels({
  tables: [
    {
      name: 'Employee',
      columns: [
        { name: 'EmployeeId', type: 'integer', primaryKey: true },
        { name: 'LastName', type: 'nvarchar(20)', nullable: false },
        { name: 'FirstName', type: 'nvarchar(20)', nullable: false },
        { name: 'Title', type: 'nvarchar(30)' },
        { name: 'ReportsTo', type: 'integer' },
        { name: 'BirthDate', type: 'datetime' },
        { name: 'HireDate', type: 'datetime' },
        ...address,
        { name: 'Email', type: 'nvarchar(60)' },
      ],
      foreignKeys: [{ columns: ['ReportsTo'], referredTable: 'Employee', referredColumns: ['EmployeeId'] }],
      indexes: [{ columns: ['ReportsTo'] }],
    },
    {
      name: 'Customer',
      columns: [
        { name: 'CustomerId', type: 'integer', primaryKey: true },
        { name: 'FirstName', type: 'nvarchar(40)', nullable: false },
        { name: 'LastName', type: 'nvarchar(20)', nullable: false },
        { name: 'Company', type: 'nvarchar(80)' },
        ...address,
        { name: 'Email', type: 'nvarchar(60)', nullable: false },
        { name: 'SupportRepId', type: 'integer' },
      ],
      foreignKeys: [{ columns: ['SupportRepId'], referredTable: 'Employee', referredColumns: ['EmployeeId'] }],
      indexes: [{ columns: ['SupportRepId'] }],
    },
    {
      name: 'Invoice',
      columns: [
        { name: 'InvoiceId', type: 'integer', primaryKey: true },
        { name: 'CustomerId', type: 'integer', nullable: false },
        { name: 'InvoiceDate', type: 'datetime', nullable: false },
        { name: 'BillingAddress', type: 'nvarchar(70)' },
        { name: 'BillingCity', type: 'nvarchar(40)' },
        { name: 'BillingState', type: 'nvarchar(40)' },
        { name: 'BillingCountry', type: 'nvarchar(40)' },
        { name: 'BillingPostalCode', type: 'nvarchar(10)' },
        { name: 'Total', type: 'numeric(10,2)', nullable: false },
        { name: 'Currency', type: 'varchar(3)' },
      ],
      foreignKeys: [{ columns: ['CustomerId'], referredTable: 'Customer', referredColumns: ['CustomerId'] }],
      indexes: [{ columns: ['CustomerId'] }],
    },
    {
      name: 'InvoiceLine',
      columns: [
        { name: 'InvoiceLineId', type: 'integer', primaryKey: true },
        { name: 'InvoiceId', type: 'integer', nullable: false },
        // Track lives in the other bind: no foreign key can reach it.
        { name: 'TrackId', type: 'integer', nullable: false },
        { name: 'UnitPrice', type: 'numeric(10,2)', nullable: false },
        { name: 'Quantity', type: 'integer', nullable: false },
      ],
      foreignKeys: [{ columns: ['InvoiceId'], referredTable: 'Invoice', referredColumns: ['InvoiceId'] }],
      indexes: [{ columns: ['InvoiceId'] }, { columns: ['TrackId'] }],
    },
  ],
});
