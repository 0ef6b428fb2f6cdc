from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_import_hash')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PersistedDocument',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sha256', fields.CharField(unique=True, max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('operation_names', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('source', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'persisted_document', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A GraphQL document registered with ``gqlnews documents add``, validated against the'},
            bases=['Model'],
        ),
    ]
