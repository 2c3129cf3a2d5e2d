// The whole ledger across users: filters (kind, user, account, product, entry, provider transaction,
// days) and the page in the URL
// (TRANSACTIONS_LIST), CSV export of what the filters select, Refund on purchases.
import { useState } from "react";
import { FilterBar, type FilterField, dayRange } from "@/components/FilterBar.tsx";
import { PageHeader } from "@/components/Layout.tsx";
import { Pagination } from "@/components/Pagination.tsx";
import { Empty, QueryState } from "@/components/States.tsx";
import { useToast } from "@/components/Toasts.tsx";
import { useListParams } from "@/hooks/use-list-params.ts";
import { errorMessage } from "@/lib/errors.ts";
import { downloadTransactionsCsv } from "@/features/transactions/api/export-csv.ts";
import { TRANSACTIONS_LIST, transactionFilter, useTransactions } from "@/features/transactions/api/get-transactions.ts";
import { LedgerTable } from "@/features/transactions/components/LedgerTable.tsx";

const FIELDS: readonly FilterField<keyof typeof TRANSACTIONS_LIST.filters>[] = [
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
  { type: "text", name: "user", label: "User id" },
  { type: "text", name: "account", label: "Account id" },
  { type: "text", name: "product", label: "Product id" },
  { type: "text", name: "id", label: "Entry id" },
  { type: "text", name: "tx", label: "Provider transaction", size: 12, numeric: true },
  ...dayRange("from", "to"),
];

export function TransactionsPage() {
  const list = useListParams(TRANSACTIONS_LIST);
  const query = useTransactions(list);
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const filtered = Object.values(list.filters).some(Boolean);
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadTransactionsCsv(transactionFilter(list));
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

      <FilterBar list={list} fields={FIELDS} />

      <QueryState
        query={query}
        loadingLabel="Loading transactions…"
        errorTitle="Could not load transactions"
        empty={<Empty title={filtered ? "No transactions match these filters" : "No transactions yet"} />}
      >
        {(data) => (
          <>
            <LedgerTable transactions={data.items} busy={query.isFetching} />
            <Pagination
              page={list.page}
              pageSize={list.limit}
              total={data.total}
              noun="transactions"
              onPage={list.setPage}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
