/**
 * The balance the overview shows comes from outbox.insights.balance(): get_balance within SMSC's balance-polling
 * rule for the login (spec/catalog.yaml `balance-polling`), counted across every process on the store, the last
 * reading stored so every process shows it.
 */
export type { BalanceReading } from "@smsc-kit/outbox";
