from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_search_analysis')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Article',
            index=Index(fields=['updated_at'], name='article_updated_idx'),
        ),
        ops.AddIndex(
            model_name='Article',
            index=Index(fields=['status', 'published_at', 'deleted_at', 'embargo_until', 'updated_at'], name='article_visible_dates_idx'),
        ),
    ]
