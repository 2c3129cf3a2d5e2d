// The whole ledger across users: filters (kind, user, account, product, entry, provider transaction,
// days) and the page in the URL (the /transactions route's ZTransactionsSearchSchema), CSV export of
// what the filters select, Refund on purchases.
import { ZUuidSchema } from "@shop/contracts";
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { PageHeader } from "@/components/Layout.tsx";
import type { FilterField } from "@/components/list/FilterBar.tsx";
import { ListView } from "@/components/list/ListView.tsx";
import { Empty } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { errorMessage } from "@/lib/errors.ts";
import { ZDaySchema, ZProviderNumberSchema, useList } from "@/lib/list.ts";
import { downloadTransactionsCsv } from "@/features/transactions/api/export-csv.ts";
import { transactionFilter, useTransactions } from "@/features/transactions/api/get-transactions.ts";
import { ledgerColumns, ledgerRowProps } from "@/features/transactions/components/ledger-columns.tsx";

const route = getRouteApi("/_app/transactions");

const FILTERS: readonly FilterField[] = [
  {
    type: "select",
    name: "kind",
    label: "Kind",
    any: "All kinds",
    options: [
      { value: "credit", label: "Credits" },
      { value: "purchase", label: "Purchases" },
      { value: "refund", label: "Refunds" },
      { value: "adjustment", label: "Adjustments" },
    ],
  },
  { type: "text", name: "user", label: "User id", schema: ZUuidSchema },
  { type: "text", name: "account", label: "Account id", schema: ZUuidSchema },
  { type: "text", name: "product", label: "Product id", schema: ZUuidSchema },
  { type: "text", name: "id", label: "Entry id", schema: ZUuidSchema },
  { type: "text", name: "tx", label: "Provider transaction", size: 12, numeric: true, schema: ZProviderNumberSchema },
  { type: "date", name: "from", label: "From", schema: ZDaySchema },
  { type: "date", name: "to", label: "To", schema: ZDaySchema },
];

const COLUMNS = ledgerColumns();

export function TransactionsPage() {
  const list = useList(route.useSearch());
  const query = useTransactions(list);
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const { page: _page, cursor: _cursor, size: _size, ...filters } = list.search;
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadTransactionsCsv(transactionFilter(list.search));
    } catch (error) {
      toast.error(`Could not export: ${errorMessage(error)}`);
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader title="Transactions" lead="Every money move of every user, newest first. Days are UTC.">
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exporting}>
          {exporting ? "Exporting…" : "Export CSV"}
        </button>
      </PageHeader>
      <ListView
        list={list}
        query={query}
        columns={COLUMNS}
        filters={FILTERS}
        noun="transactions"
        caption="Transactions of all users, newest first"
        className="table-ledger"
        loadingLabel="Loading transactions…"
        errorTitle="Could not load transactions"
        rowProps={ledgerRowProps}
        empty={<Empty title={filtered ? "No transactions match these filters" : "No transactions yet"} />}
      />
    </>
  );
}
