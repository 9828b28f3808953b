"""What every area service shares: the context, input checks, paging, predicates, queries."""
