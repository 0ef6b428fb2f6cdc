from tortoise import migrations
from tortoise.migrations import operations as ops
from gqlnews.models.enums import DeliveryStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_event_relay')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=2000)),
                ('description', fields.CharField(default='', max_length=200)),
                ('events', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('section_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('secret', fields.CharField(max_length=100)),
                ('enabled', fields.BooleanField(default=True)),
                ('disabled_reason', fields.TextField(default='', unique=False)),
                ('disabled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('failing_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_event_id', fields.BigIntField(default=0)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A URL an admin registered to be told about publishing events.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('endpoint', fields.ForeignKeyField('models.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event_id', fields.BigIntField()),
                ('event_kind', fields.CharField(max_length=30)),
                ('article_id', fields.IntField()),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: pending\nDELIVERED: delivered\nFAILED: failed', enum_type=DeliveryStatus, max_length=12)),
                ('attempts', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claim', fields.CharField(null=True, max_length=32)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'models', 'unique_together': (('endpoint', 'event_id'),), 'indexes': [Index(fields=['status', 'next_attempt_at'], name='webhook_delivery_due_idx')], 'pk_attr': 'id', 'table_description': 'One outbox event to send to one endpoint, until it is delivered or given up.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('models.WebhookDelivery', source_field='delivery_id', db_index=True, db_constraint=True, to_field='id', related_name='attempt_rows', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status_code', fields.IntField(null=True)),
                ('duration_ms', fields.IntField()),
                ('response_excerpt', fields.TextField(default='', unique=False)),
                ('error', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'webhook_attempt', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One HTTP request of a delivery and what came of it.'},
            bases=['Model'],
        ),
    ]
