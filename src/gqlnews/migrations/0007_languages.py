from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_persisted_documents')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Author',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
        ops.AddField(
            model_name='Edition',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
        ops.AddField(
            model_name='Image',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
        ops.AddField(
            model_name='Section',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
        ops.AddField(
            model_name='Supplement',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
        ops.AddField(
            model_name='Tag',
            name='language',
            field=fields.CharField(null=True, max_length=12),
        ),
    ]
