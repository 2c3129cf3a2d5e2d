// The whole ledger across users: filters (kind, user, account, product, days) and the page in the URL
// (TRANSACTIONS_LIST), CSV export of what the filters select, Refund on purchases.
import { type FormEvent, useState } from "react";
import { PageHeader } from "../../../components/Layout.tsx";
import { Pagination } from "../../../components/Pagination.tsx";
import { Empty, QueryState } from "../../../components/States.tsx";
import { useToast } from "../../../components/Toasts.tsx";
import { useListParams } from "../../../hooks/use-list-params.ts";
import { errorMessage } from "../../../lib/errors.ts";
import { downloadTransactionsCsv } from "../api/export-csv.ts";
import {
  TRANSACTIONS_LIST,
  type TransactionsListParams,
  transactionFilter,
  useTransactions,
} from "../api/get-transactions.ts";
import { LedgerTable } from "../components/LedgerTable.tsx";

const KINDS = [
  { value: "", label: "All kinds" },
  { value: "credit", label: "Credits" },
  { value: "purchase", label: "Purchases" },
  { value: "refund", label: "Refunds" },
  { value: "adjustment", label: "Adjustments" },
] as const;

const ID_FILTERS = [
  { name: "user", label: "User id" },
  { name: "account", label: "Account id" },
  { name: "product", label: "Product id" },
] as const;

/** The filters as typed; applied to the URL on submit (the kind at once). Keyed by the URL's filters. */
function FiltersForm({ list }: { list: TransactionsListParams }) {
  const { filters } = list;
  const [draft, setDraft] = useState({ ...filters });
  const filtered = Object.values(filters).some(Boolean);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    list.setFilters(draft);
  };
  return (
    <form className="toolbar filters" onSubmit={apply} aria-label="Filters">
      <label className="inline-select">
        <span>Kind</span>
        <select
          aria-label="Kind"
          value={filters.kind}
          onChange={(e) => {
            setDraft((d) => ({ ...d, kind: e.target.value }));
            list.setFilter("kind", e.target.value);
          }}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      {ID_FILTERS.map((f) => (
        <label key={f.name} className="inline-select">
          <span>{f.label}</span>
          <input
            value={draft[f.name]}
            onChange={(e) => setDraft((d) => ({ ...d, [f.name]: e.target.value }))}
            placeholder="any"
            spellCheck={false}
            size={14}
          />
        </label>
      ))}
      <label className="inline-select">
        <span>From</span>
        <input type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
      </label>
      <label className="inline-select">
        <span>To</span>
        <input type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
      </label>
      <button type="submit" className="button button-small button-primary">
        Apply filters
      </button>
      {filtered ? (
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => {
            setDraft({ kind: "", user: "", account: "", product: "", from: "", to: "" });
            list.clear();
          }}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}

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

      <FiltersForm key={JSON.stringify(list.filters)} list={list} />

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
