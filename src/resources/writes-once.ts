// The create-only resources (Catena writes them once; the registry declares no update): messages, group
// messages, fuel transactions and DVIR logs. Their id fields name records written through fleetgate
// (`references`), resolved to the TSP's ids on the same connection (engine/references.ts).
import { CreateDvirLogBody, DvirLogRecord } from '../contract/resources/dvir-logs.ts';
import { CreateFuelTransactionBody, FuelTransactionRecord } from '../contract/resources/fuel-transactions.ts';
import { CreateGroupMessageBody, CreateMessageBody, GroupMessageRecord, MessageRecord } from '../contract/resources/messages.ts';
import type { ResourceDefinition } from '../engine/resource.ts';

// Written once: nothing composes, and nothing needs to wait for an earlier write to the same record.
const once = { merge: (_current: unknown, changes: Record<string, unknown>) => ({ ...changes }), orderedWrites: false } as const;

export const messageResource: ResourceDefinition = {
  name: 'message',
  plural: 'messages',
  idParam: 'message_id',
  title: 'Message',
  operations: {
    create: {
      body: CreateMessageBody,
      operationId: 'create_message',
      summary: 'Create Message',
      description: 'Create a new message. The message will be created asynchronously, and you can check the status of the operation using the returned operation ID.',
    },
  },
  view: MessageRecord,
  reads: { listOperationId: 'list_messages', getOperationId: 'get_message', listSummary: 'List Messages', getSummary: 'Get Message' },
  references: { sender_id: { resource: 'user' }, recipient_id: { resource: 'user' }, reply_to_message_id: { resource: 'message' } },
  ...once,
};

export const groupMessageResource: ResourceDefinition = {
  name: 'group_message',
  plural: 'group-messages',
  idParam: 'group_message_id',
  title: 'Group message',
  operations: {
    create: {
      body: CreateGroupMessageBody,
      operationId: 'create_group_message',
      summary: 'Create Group Message',
      description: 'Create a new group message. The message will be created asynchronously, and you can check the status of the operation using the returned operation ID.',
    },
  },
  view: GroupMessageRecord,
  reads: { listOperationId: 'list_group_messages', getOperationId: 'get_group_message', listSummary: 'List Group Messages', getSummary: 'Get Group Message' },
  references: { sender_id: { resource: 'user' }, recipient_ids: { resource: 'user' } },
  ...once,
};

export const fuelTransactionResource: ResourceDefinition = {
  name: 'fuel_transaction',
  plural: 'fuel-transactions',
  idParam: 'fuel_transaction_id',
  title: 'Fuel transaction',
  operations: {
    create: {
      body: CreateFuelTransactionBody,
      operationId: 'create_fuel_transaction',
      summary: 'Create Fuel Transaction',
      description:
        'Create a new fuel transaction. The fuel transaction will be created asynchronously, and you can check the status of the operation using the returned operation ID.',
    },
  },
  view: FuelTransactionRecord,
  reads: { listOperationId: 'list_fuel_transactions', getOperationId: 'get_fuel_transaction', listSummary: 'List Fuel Transactions', getSummary: 'Get Fuel Transaction' },
  references: { driver_id: { resource: 'user' }, vehicle_id: { resource: 'vehicle' }, co_driver_id: { resource: 'user' } },
  ...once,
};

export const dvirLogResource: ResourceDefinition = {
  name: 'dvir_log',
  plural: 'dvir-logs',
  idParam: 'dvir_log_id',
  title: 'DVIR log',
  operations: {
    create: { body: CreateDvirLogBody, operationId: 'create_dvir_log', summary: 'Create Dvir Log', description: 'Create a new DVIR log asynchronously.' },
  },
  view: DvirLogRecord,
  reads: { listOperationId: 'list_dvir_logs', getOperationId: 'get_dvir_log', listSummary: 'List Dvir Logs', getSummary: 'Get Dvir Log' },
  references: { driver_id: { resource: 'user' }, vehicle_id: { resource: 'vehicle' }, trailer_id: { resource: 'trailer' } },
  ...once,
};
